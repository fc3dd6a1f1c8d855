"""The browser app: views, their charts, the ``app`` subcommand and offline assets."""
