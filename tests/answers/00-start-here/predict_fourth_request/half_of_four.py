# expect: fourth_request_prediction=0
# reason: wrong_prediction
# 2.5 would become 2 under int(); the check refuses numbers that are not whole.
fourth_request_shows = 2.5
