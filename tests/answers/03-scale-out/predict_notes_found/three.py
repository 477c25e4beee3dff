# expect: notes_prediction=0
# reason: wrong_prediction
# Counts the save itself as one of the reads.
notes_found = 3
