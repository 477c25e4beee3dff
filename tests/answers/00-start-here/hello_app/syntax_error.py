# expect: hello_greets_everyone=0
# reason: app_crashed_at_start
# Missing colon after the def line: the file cannot even be imported.
def hello(name)
    return f"Hello, {name}!"
