# expect: hello_greets_everyone=0
# reason: missing_function
# The function is called greet, but the platform sends requests to hello.
def greet(name):
    return f"Hello, {name}!"
