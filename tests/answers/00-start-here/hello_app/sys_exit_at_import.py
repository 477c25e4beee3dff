# expect: hello_greets_everyone=0
# reason: process_exited
# Ends like a script with sys.exit(): the process exits while the platform starts it.
import sys


def hello(name):
    return f"Hello, {name}!"


print(hello("World"))
sys.exit(0)
