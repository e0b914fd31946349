# The two commands of the README: `make run` and `make test`. Both prepare
# everything themselves on a fresh Debian machine with Go and Node.js.
SHELL := /bin/bash
PGPORT ?= 55432
DB_URL := postgres://postgres@127.0.0.1:$(PGPORT)/examd?sslmode=disable
ADMIN_DB_URL := postgres://postgres@127.0.0.1:$(PGPORT)/postgres?sslmode=disable
ADDR ?= 127.0.0.1:8080
export PGPORT

.PHONY: run test build db db-stop frontend frontend-deps vet gotest fuzz openapi-lint web-test e2e bench bench-overload bench-smoke drill drill-smoke clean

run: db build
	@test -s .data/jwt-secret || (umask 077; head -c 48 /dev/urandom | base64 | tr -d '\n/+=' > .data/jwt-secret)
	@DATABASE_URL='$(DB_URL)' JWT_SECRET="$$(cat .data/jwt-secret)" ./bin/examd migrate
	@if [ ! -s .data/demo.txt ]; then \
	  DATABASE_URL='$(DB_URL)' JWT_SECRET="$$(cat .data/jwt-secret)" PUBLIC_URL="http://$(ADDR)" ./bin/examd seed-demo > .data/demo.txt.tmp && mv .data/demo.txt.tmp .data/demo.txt; \
	fi
	@cat .data/demo.txt
	@echo "examd: serving on http://$(ADDR) (Ctrl-C to stop; the demo above is kept in .data/demo.txt)"
	@DATABASE_URL='$(DB_URL)' JWT_SECRET="$$(cat .data/jwt-secret)" ADDR='$(ADDR)' PUBLIC_URL="http://$(ADDR)" exec ./bin/examd serve

db:
	@scripts/pg.sh start

db-stop:
	@scripts/pg.sh stop

# The web app is built when npm is there; a plain Go build works without it.
frontend-deps:
	@if [ -f frontend/package.json ] && command -v npm >/dev/null; then \
	  if [ ! -d frontend/node_modules ] || [ frontend/package-lock.json -nt frontend/node_modules/.stamp ]; then \
	    (cd frontend && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.stamp); fi; \
	fi

frontend: frontend-deps
	@if [ -f frontend/package.json ] && command -v npm >/dev/null; then (cd frontend && npm run -s build); \
	else echo "note: npm or frontend/package.json missing; serving without the web app"; fi

build: frontend
	go build -o bin/examd ./cmd/examd

# This module's Go packages. frontend/node_modules may hold Go files that npm
# packages ship (flatted, under ESLint), which are not ours to vet or test.
GO_PKGS = $$(go list ./... | grep -v /node_modules/)

vet:
	go vet $(GO_PKGS)
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); echo "gofmt needed"; exit 1)

gotest: db
	TEST_DATABASE_URL='$(ADMIN_DB_URL)' go test -race -count=1 -timeout 25m $(GO_PKGS)

# Short fuzz runs of the validator, the scorer, the GIFT reader and the string
# fields of every endpoint's body (longer runs by hand; FuzzStringFields needs
# the database, and minimizing is capped because some of its inputs hash
# passwords). Each run is bounded by a count of executions (about what 3 to
# 15 s do on a 2-core machine), not by a duration: with a duration, Go 1.26's
# fuzz coordinator can fail a clean run with "context deadline exceeded"
# when its deadline races a starved worker (go.dev/issue/75804, fixed in
# Go 1.27); a count has no deadline to race. FUZZ_MIN caps the minimizing
# of each new input too (60 s by default, which stalls a count-bounded run).
FUZZ_MIN = -fuzzminimizetime 100x
fuzz: db
	go test -run '^$$' -fuzz '^FuzzValidate$$' -fuzztime 10000x $(FUZZ_MIN) ./exam/
	go test -run '^$$' -fuzz '^FuzzParseResponse$$' -fuzztime 20000x $(FUZZ_MIN) ./exam/
	go test -run '^$$' -fuzz '^FuzzScore$$' -fuzztime 15000x $(FUZZ_MIN) ./grading/
	go test -run '^$$' -fuzz '^FuzzFlatScores$$' -fuzztime 8000x $(FUZZ_MIN) ./grading/
	go test -run '^$$' -fuzz '^FuzzExamBody$$' -fuzztime 20000x $(FUZZ_MIN) ./api/
	go test -run '^$$' -fuzz '^FuzzTextReader$$' -fuzztime 15000x $(FUZZ_MIN) ./formats/
	TEST_DATABASE_URL='$(ADMIN_DB_URL)' go test -run '^$$' -fuzz '^FuzzStringFields$$' -fuzztime 1200x -fuzzminimizetime 3x ./api/
	go test -run '^$$' -fuzz '^FuzzGIFTReader$$' -fuzztime 12000x $(FUZZ_MIN) ./formats/

# api/openapi.yaml through Redocly's linter (rules in redocly.yaml, the few
# located exceptions in .redocly.lint-ignore.yaml); any problem fails.
openapi-lint: frontend-deps
	@cd frontend && npm run -s lint:openapi

# The web app: its API types are what api/openapi.yaml generates (no drift),
# ESLint (with React's hooks rules; eslint.config.js), then the unit tests.
web-test: frontend-deps
	@if [ -f frontend/package.json ]; then cd frontend && npm run -s check:types && npm run -s lint && npm test; fi

# Browser tests in Debian's Chromium against a real examd and PostgreSQL.
e2e: db build
	@scripts/e2e.sh

test: vet openapi-lint build gotest fuzz web-test e2e bench-smoke drill-smoke
	@echo "make test: all green"

# The benchmark starts its own throwaway cluster on a free port (see
# scripts/bench.sh), so it needs nothing from `db`.
bench:
	@scripts/bench.sh

# The overload scenario alone, into bench/results/overload/
bench-overload:
	@BENCH_OUT=bench/results/overload BENCH_ARGS='-phases overload $(BENCH_ARGS)' scripts/bench.sh

bench-smoke:
	@if [ -x scripts/bench.sh ]; then BENCH_SMOKE=1 scripts/bench.sh; fi

# The fault drill (issue 18): its own clusters, examd processes and
# pgbouncer on free ports (scripts/drill.sh); slow, so not part of make test.
# drill-smoke, the same scenarios at tiny sizes, is.
drill:
	@scripts/drill.sh

drill-smoke:
	@DRILL_SMOKE=1 scripts/drill.sh

clean:
	rm -rf bin
