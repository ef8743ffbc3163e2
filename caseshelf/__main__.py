from caseshelf.cli import main

raise SystemExit(main())
