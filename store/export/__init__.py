"""Export: labelled datasets from the database."""
