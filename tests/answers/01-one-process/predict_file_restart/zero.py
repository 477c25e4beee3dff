# expect: file_restart_prediction=0
# reason: wrong_prediction
# Knows the disk is wiped, forgets the hit after the restart.
file_after_restart = 0
