"""Pure compensation rules (no Flask, no database): fee classes, travel, employer contributions."""
