from verifier.ops.cli import main

raise SystemExit(main())
