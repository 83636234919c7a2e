"""`secondround compare` (the calibration issue fills this in)."""

import typer


def compare(ratings_csv: str = typer.Argument(..., help="Ratings CSV file.")) -> None:
    """Compare candidates with interviewer-leniency-corrected scores."""
    raise typer.Exit(code=2)
