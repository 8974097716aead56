"""Modal screens: profile, help, edit entry."""
