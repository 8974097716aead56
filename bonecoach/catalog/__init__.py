"""Loading the shipped JSON assets (foods, supplements, targets), validated by pydantic."""
