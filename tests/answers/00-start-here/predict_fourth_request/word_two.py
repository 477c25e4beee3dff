# expect: fourth_request_prediction=0
# reason: wrong_prediction
# The right idea written as a word: the check asks for a whole number.
fourth_request_shows = "two"
