# expect: notes_prediction=1
# reason: correct
# The right count, typed as text: a whole number in a str is accepted.
notes_found = "2"
