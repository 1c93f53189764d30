"""A test-only app with one toy lifecycle, installed by `config.settings.test` alone: the tests
of the workflow kit (`lianqi/core/tests/test_workflow_kit.py`) move its rows through their
steps without borrowing any real app's table."""
