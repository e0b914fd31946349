package main

import (
	"errors"
	"log/slog"
)

func seedDemo(log *slog.Logger, args []string) error {
	return errors.New("seed-demo: not available yet")
}
