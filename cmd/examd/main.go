// Command examd is the exam platform's one binary: `serve` runs the HTTP
// server (applying pending migrations first), `migrate` applies them,
// `seed-demo` loads the demo organization and exam, and `create-user` adds
// a staff user. Configuration comes from the environment (see
// internal/config and the README).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"gorm.io/gorm"

	"examd/account"
	"examd/api"
	"examd/exam"
	"examd/grading"
	"examd/internal/config"
	"examd/internal/connlimit"
	"examd/internal/database"
	mailaddr "examd/internal/email"
	"examd/internal/metrics"
	"examd/migrations"
	"examd/notify"
)

const usage = `usage: examd <command> [flags]

commands:
  serve        run the HTTP server (applies pending migrations unless MIGRATE=false)
  migrate      apply pending database migrations
  seed-demo    create the demo organization, users and the published demo exam (once)
  create-user  add a staff user: -org <organization id> -email -name -role -password

environment: DATABASE_URL (required), JWT_SECRET (required, >= 32 bytes), ADDR,
PUBLIC_URL, ALLOW_SIGNUP, MIGRATE, TRUSTED_PROXIES, BODY_LIMIT_BYTES, DB_MAX_CONNS,
MAX_IN_FLIGHT, QUEUE_LENGTH, QUEUE_WAIT, QUEUE_OVERLOAD_WAIT, MAX_CONNS
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	var err error
	switch os.Args[1] {
	case "serve":
		err = serve(log)
	case "migrate":
		err = migrate(log)
	case "seed-demo":
		err = seedDemo(log, os.Args[2:])
	case "create-user":
		err = createUser(os.Args[2:])
	case "-h", "--help", "help":
		fmt.Print(usage)
		return
	default:
		fmt.Fprintf(os.Stderr, "examd: unknown command %q\n\n%s", os.Args[1], usage)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "examd:", err)
		os.Exit(1)
	}
}

func open() (*config.Config, *gorm.DB, error) {
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		return nil, nil, err
	}
	db, err := database.Open(cfg.DatabaseURL, database.Options{MaxOpenConns: cfg.DBMaxConns})
	if err != nil {
		return nil, nil, err
	}
	return cfg, db, nil
}

// applyMigrations retries for a while: at boot the database may still be
// starting (docker compose, a restarted cluster).
func applyMigrations(ctx context.Context, log *slog.Logger, db *gorm.DB) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		n, err := migrations.Up(ctx, sqlDB)
		if err == nil {
			log.Info("migrations applied", "count", n)
			return nil
		}
		if !database.IsUnavailable(err) || time.Now().After(deadline) {
			return err
		}
		log.Warn("database not reachable yet; retrying", "error", err)
		time.Sleep(time.Second)
	}
}

func migrate(log *slog.Logger) error {
	_, db, err := open()
	if err != nil {
		return err
	}
	return applyMigrations(context.Background(), log, db)
}

// defaultMemoryLimit is examd's soft memory limit when GOMEMLIMIT sets
// none. Logins allocate 19 MiB each (argon2id) that are garbage a moment
// later; with only the default GOGC pacing a burst of logins piles them up
// before a collection (make bench saw the resident set jump by 80 MB at
// eight logins). Near the limit the collector runs sooner instead.
const defaultMemoryLimit = 128 << 20

func serve(log *slog.Logger) error {
	if debug.SetMemoryLimit(-1) == math.MaxInt64 {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	cfg, db, err := open()
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if cfg.Migrate {
		if err := applyMigrations(ctx, log, db); err != nil {
			return err
		}
	} else {
		sqlDB, _ := db.DB()
		pending, err := migrations.Pending(ctx, sqlDB)
		if err != nil {
			return fmt.Errorf("checking migrations: %w", err)
		}
		if pending {
			return errors.New("the database schema is not up to date and MIGRATE=false: run `examd migrate` first")
		}
	}
	exams := exam.NewStore(db, grading.NewScorer(db))
	grader := grading.New(db, exams)
	var met *metrics.Metrics
	metricsAddr := os.Getenv("METRICS_ADDR")
	if metricsAddr != "" {
		met = newMetrics(db)
	}
	app := api.New(api.Options{Config: cfg, DB: db, Logger: log, Exams: exams, Grader: grader, Metrics: met})
	bgCtx, stopBackground := context.WithCancel(context.Background())
	defer stopBackground()
	bgDone := startBackground(bgCtx, log, exams, met)
	// The delivery workers stop with the sweeper, after in-flight requests:
	// an interrupted delivery is retried by the next server once its lease ends.
	go notify.NewWorker(notify.WorkerOptions{DB: db, Log: log, Schedule: cfg.WebhookRetrySchedule,
		AllowPrivate: cfg.WebhookAllowPrivate}).Run(bgCtx)
	if cfg.SMTPURL != nil {
		go notify.NewMailer(notify.MailerOptions{DB: db, Log: log, SMTPURL: cfg.SMTPURL, From: cfg.MailFrom,
			Schedule: cfg.WebhookRetrySchedule}).Run(bgCtx)
	}
	startPprof(log)
	metricsSrv, err := startMetrics(log, metricsAddr, met)
	if err != nil {
		return err
	}
	// ReadTimeout bounds a request's body too: an admitted request holds one
	// of the MAX_IN_FLIGHT places while its handler reads the body, so a
	// client trickling a body must not keep it for long.
	srv := &http.Server{Addr: cfg.Addr, Handler: app, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, IdleTimeout: 120 * time.Second}
	connlimit.Install(srv, cfg.MaxConns)
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	log.Info("examd serving", "addr", cfg.Addr, "public_url", cfg.PublicURL)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Graceful: stop accepting, let in-flight requests finish (bounded by
	// SHUTDOWN_TIMEOUT, 10 s by default), then stop the sweeper between two
	// sweeps (a sweep is one transaction: cancelled, it rolls back and the
	// next server redoes it).
	log.Info("shutting down: finishing in-flight requests")
	shutCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout())
	defer cancel()
	err = srv.Shutdown(shutCtx)
	stopBackground()
	<-bgDone
	if metricsSrv != nil {
		metricsSrv.Close()
	}
	log.Info("stopped", "error", err)
	return err
}

func createUser(args []string) error {
	fs := flag.NewFlagSet("create-user", flag.ContinueOnError)
	org := fs.String("org", "", "organization id (empty: create a new organization named by -org-name)")
	orgName := fs.String("org-name", "", "name of a new organization (with no -org)")
	email := fs.String("email", "", "email")
	name := fs.String("name", "", "name")
	role := fs.String("role", "admin", "admin, recruiter or reviewer")
	password := fs.String("password", os.Getenv("EXAMD_PASSWORD"), "password (or EXAMD_PASSWORD)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *email == "" || *name == "" || !account.ValidRole(*role) {
		return fmt.Errorf("create-user needs -email, -name, a -role of admin/recruiter/reviewer and a -password of at least %d characters", account.MinPasswordLength)
	}
	if !mailaddr.Valid(*email) {
		return fmt.Errorf("create-user: -email %q is not an address like name@example.com", *email)
	}
	switch account.PasswordProblem(*password) {
	case "short":
		return fmt.Errorf("create-user: the password needs at least %d characters", account.MinPasswordLength)
	case "blank":
		return errors.New("create-user: the password must not be only white space")
	case "breached":
		return errors.New("create-user: the password is one of the most commonly breached; choose another")
	}
	_, db, err := open()
	if err != nil {
		return err
	}
	st := account.NewStore(db)
	ctx := context.Background()
	nu := account.NewUser{Email: *email, Name: *name, Password: *password, Role: *role}
	var u *account.User
	if *org == "" {
		if *orgName == "" || *role != account.RoleAdmin {
			return errors.New("without -org, give -org-name and -role admin to create a new organization")
		}
		u, err = st.Signup(ctx, *orgName, nu)
	} else {
		u, err = st.CreateUser(ctx, *org, nu)
	}
	if err != nil {
		return err
	}
	fmt.Printf("created %s %s (%s) in organization %s (%s)\n", u.Role, u.Email, u.ID, u.Organization.Name, u.Organization.ID)
	return nil
}
