#!/bin/bash
# Learner mode: hide nbgrader's instructor tools from the Jupyter environment that
# `jupyter` on PATH belongs to. Shared by postBuild (Binder) and `make lab`, so a learner
# sees the same JupyterLab in both places. Idempotent: safe to run again.
#
# Writes only into that environment's sys-prefix (e.g. .venv/etc/jupyter or
# /srv/conda/envs/notebook/etc/jupyter), never into ~/.jupyter or /etc/jupyter:
# Binder runs postBuild as an unprivileged user.
set -euo pipefail

# Front-end plugins of the @jupyter/nbgrader lab extension (0.9.6 ships six; these ids
# are read from its bundle, and tests/test_binder.py checks they still exist).
# Kept enabled: @jupyter/nbgrader:validate-assignment, the notebook's "Validate" button.
# `menu` is disabled too: it only holds entries for the commands of the plugins below,
# so without them it would be an empty or broken "Nbgrader" menu.
lab_plugins=(
    @jupyter/nbgrader:formgrader
    @jupyter/nbgrader:create-assignment
    @jupyter/nbgrader:course-list
    @jupyter/nbgrader:assignment-list
    @jupyter/nbgrader:menu
)

# Server extensions (HTTP handlers): formgrader serves /formgrader, course_list serves
# /formgraders, assignment_list serves /assignments and /courses. Kept enabled:
# validate_assignment (/assignments/validate), behind the Validate button.
server_extensions=(
    nbgrader.server_extensions.formgrader
    nbgrader.server_extensions.course_list
    nbgrader.server_extensions.assignment_list
)

# --level=sys_prefix is the environment's own config. (`--level=sys` does not exist in
# JupyterLab 4; `system` would write to /usr/local/etc and fail on Binder.)
# Disabled plugins can be switched back on from the Plugin Manager unless locked.
jupyter labextension disable --level=sys_prefix "${lab_plugins[@]}"
jupyter labextension lock --level=sys_prefix "${lab_plugins[@]}"
jupyter server extension disable --sys-prefix "${server_extensions[@]}"
# JupyterLab's "get notified about Jupyter news?" pop-up means nothing to a learner here.
jupyter labextension disable --level=sys_prefix "@jupyterlab/apputils-extension:announcements"

echo "learner mode: nbgrader instructor extensions disabled and locked in $(python -c 'import sys; print(sys.prefix)')"
