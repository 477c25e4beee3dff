# expect: global_restart_prediction=0
# reason: wrong_prediction
# Counts the restart itself as a hit.
global_after_restart = 2
