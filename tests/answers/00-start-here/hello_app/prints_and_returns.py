# expect: hello_greets_everyone=2
# reason: correct
# Correct, and chatty: prints at import and in every request. Printing costs nothing.
print("hello.py is starting")


def hello(name):
    print("greeting", name)
    return f"Hello, {name}!"
