from secondround.cli import main

main()
