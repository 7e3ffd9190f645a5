"""Block 1 pages: the toolkit (glossary, catalogue, calculator, evolution, break-even), the
catalogue import, the downloads and the knowledge check."""
