# expect: fourth_request_prediction=1
# reason: correct
# The right number as a string: accepted.
fourth_request_shows = "2"
