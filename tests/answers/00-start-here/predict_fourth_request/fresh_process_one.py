# expect: fourth_request_prediction=0
# reason: wrong_prediction
# Believes every request gets a brand-new process.
fourth_request_shows = 1
