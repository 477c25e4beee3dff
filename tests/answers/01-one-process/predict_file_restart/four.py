# expect: file_restart_prediction=0
# reason: wrong_prediction
# The laptop answer: assumes the disk outlives the process.
file_after_restart = 4
