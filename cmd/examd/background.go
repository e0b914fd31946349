package main

import (
	"context"
	"log/slog"

	"gorm.io/gorm"
)

// startBackground runs the server's periodic work (the timeout sweeper).
func startBackground(ctx context.Context, log *slog.Logger, db *gorm.DB) {}
