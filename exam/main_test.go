package exam

import (
	"testing"

	"examd/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }
