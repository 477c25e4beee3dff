# expect: fourth_request_prediction=0
# reason: wrong_prediction
# Counts the processes plus one, or guesses.
fourth_request_shows = 3
