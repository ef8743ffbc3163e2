from caseshelf.cli import run

run()
