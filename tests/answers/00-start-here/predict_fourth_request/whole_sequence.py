# expect: fourth_request_prediction=0
# reason: wrong_prediction
# Writes all four answers instead of the fourth one.
fourth_request_shows = [1, 1, 2, 2]
