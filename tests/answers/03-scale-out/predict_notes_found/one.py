# expect: notes_prediction=0
# reason: wrong_prediction
# Counts only the first time round-robin comes back to the writer.
notes_found = 1
