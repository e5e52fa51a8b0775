from adgenius.deploy.cli import main

main()
