from paradox.cli import main

raise SystemExit(main())
