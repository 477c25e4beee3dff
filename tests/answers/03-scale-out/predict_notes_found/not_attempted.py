# expect: notes_prediction=0
# reason: not_attempted
# The release cell left as it was.
# YOUR CODE HERE
raise NotImplementedError()
