# expect: global_restart_prediction=0
# reason: wrong_prediction
# Thinks the process keeps its memory across a restart.
global_after_restart = 3
