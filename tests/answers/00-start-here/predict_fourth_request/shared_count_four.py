# expect: fourth_request_prediction=0
# reason: wrong_prediction
# Believes the processes share one counter, as one process would.
fourth_request_shows = 4
