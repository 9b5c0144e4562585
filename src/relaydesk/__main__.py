from relaydesk.cli import main

main()
