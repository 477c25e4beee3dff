# expect: fourth_request_prediction=0
# reason: wrong_prediction
# Thinks the count is read before it is incremented.
fourth_request_shows = 0
