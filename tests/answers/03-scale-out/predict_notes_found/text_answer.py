# expect: notes_prediction=0
# reason: wrong_prediction
# Right idea, but not a number: the check needs a whole number.
notes_found = "every third read"
