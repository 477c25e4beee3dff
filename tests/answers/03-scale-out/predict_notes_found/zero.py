# expect: notes_prediction=0
# reason: wrong_prediction
# Thinks every request gets a brand-new process.
notes_found = 0
