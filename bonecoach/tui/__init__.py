"""The full-screen Textual app. It displays and collects; the services decide."""
