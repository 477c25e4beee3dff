# expect: notes_prediction=0
# reason: wrong_prediction
# The laptop answer: one disk that every process shares.
notes_found = 6
