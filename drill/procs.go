package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// asPG runs a PostgreSQL program as the postgres user when we are root
// (PostgreSQL refuses root), as ourselves otherwise.
func asPG(name string, args ...string) *exec.Cmd {
	if os.Geteuid() == 0 {
		return exec.Command("runuser", append([]string{"-u", "postgres", "--", name}, args...)...)
	}
	return exec.Command(name, args...)
}

func run(cmd *exec.Cmd) error {
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %w: %s", strings.Join(cmd.Args, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}

// pgOwned makes dir and hands it to the postgres user when we are root.
func pgOwned(dir string, mode os.FileMode) error {
	if err := os.MkdirAll(dir, mode); err != nil {
		return err
	}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return err
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			return err
		}
	}
	return os.Chmod(dir, mode)
}

// freePort asks the kernel for a port nobody listens on.
func freePort() int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// waitPort waits until something accepts connections on port.
func waitPort(port int, within time.Duration) error {
	end := time.Now().Add(within)
	for time.Now().Before(end) {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), 200*time.Millisecond)
		if err == nil {
			c.Close()
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("nothing listens on port %d after %s", port, within)
}

// cluster is a PostgreSQL cluster of the drill's own, started through
// scripts/pg.sh (which initialises it, installs PostgreSQL when missing
// and creates the examd database).
type cluster struct {
	name string
	dir  string
	port int
}

func (d *drill) newCluster(name string) (*cluster, error) {
	c := &cluster{name: name, dir: filepath.Join(d.work, name), port: freePort()}
	return c, d.startCluster(c)
}

func (d *drill) startCluster(c *cluster) error {
	cmd := exec.Command(filepath.Join(d.repo, "scripts", "pg.sh"), "start")
	cmd.Env = append(os.Environ(), "PGDATA_DIR="+c.dir, "PGPORT="+strconv.Itoa(c.port))
	return run(cmd)
}

func (c *cluster) url() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/examd?sslmode=disable", c.port)
}

func (d *drill) pgctl(c *cluster, args ...string) error {
	return run(asPG(filepath.Join(d.pgbin, "pg_ctl"), append([]string{"-D", c.dir, "-l", filepath.Join(c.dir, "server.log"), "-w", "-t", "60"}, args...)...))
}

// pid is the cluster's postmaster.
func (c *cluster) pid() (int, error) {
	b, err := os.ReadFile(filepath.Join(c.dir, "postmaster.pid"))
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(strings.SplitN(string(b), "\n", 2)[0])
}

func (d *drill) psql(c *cluster, sql string) (string, error) {
	out, err := asPG(filepath.Join(d.pgbin, "psql"), "-h", "127.0.0.1", "-p", strconv.Itoa(c.port), "-U", "postgres", "-Atqc", sql, "examd").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("psql %q: %w: %s", sql, err, out)
	}
	return strings.TrimSpace(string(out)), nil
}

func (d *drill) stopCluster(c *cluster) {
	_ = d.pgctl(c, "-m", "immediate", "stop")
}

// server is one `examd serve` process, restartable on the same port.
type server struct {
	d    *drill
	name string
	port int
	env  []string
	cmd  *exec.Cmd
	log  *os.File
}

func (d *drill) newServer(name, dbURL string, extra ...string) (*server, error) {
	s := &server{d: d, name: name, port: freePort()}
	s.env = append(os.Environ(), "DATABASE_URL="+dbURL, "JWT_SECRET="+d.secret,
		fmt.Sprintf("ADDR=127.0.0.1:%d", s.port), fmt.Sprintf("PUBLIC_URL=http://127.0.0.1:%d", s.port), "ALLOW_SIGNUP=true")
	s.env = append(s.env, extra...)
	var err error
	if s.log, err = os.OpenFile(filepath.Join(d.work, name+".log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644); err != nil {
		return nil, err
	}
	d.servers = append(d.servers, s)
	return s, s.start()
}

func (s *server) base() string { return fmt.Sprintf("http://127.0.0.1:%d", s.port) }

func (s *server) start() error {
	s.cmd = exec.Command(s.d.examd, "serve")
	s.cmd.Env = s.env
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	if err := s.cmd.Start(); err != nil {
		return err
	}
	if err := waitPort(s.port, 60*time.Second); err != nil {
		return fmt.Errorf("%s: %w (log in %s)", s.name, err, s.log.Name())
	}
	return nil
}

// kill is SIGKILL: no shutdown, no flush, in-flight requests cut.
func (s *server) kill() {
	if s.cmd != nil && s.cmd.Process != nil {
		_ = s.cmd.Process.Signal(syscall.SIGKILL)
		_ = s.cmd.Wait()
	}
	s.cmd = nil
}

// migrate runs `examd migrate` against dbURL.
func (d *drill) migrate(dbURL string) error {
	cmd := exec.Command(d.examd, "migrate")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL, "JWT_SECRET="+d.secret)
	return run(cmd)
}

// bouncer is Debian's pgbouncer in transaction pooling mode in front of c.
type bouncer struct {
	port int
	cmd  *exec.Cmd
}

func (d *drill) startBouncer(ctx context.Context, c *cluster) (*bouncer, error) {
	bin, err := exec.LookPath("pgbouncer")
	if err != nil {
		bin = "/usr/sbin/pgbouncer"
	}
	dir := filepath.Join(d.work, "pgbouncer")
	if err := pgOwned(dir, 0o755); err != nil {
		return nil, err
	}
	b := &bouncer{port: freePort()}
	ini := fmt.Sprintf(`[databases]
examd = host=127.0.0.1 port=%d dbname=examd
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = %d
unix_socket_dir =
auth_type = trust
auth_file = %s/users.txt
pool_mode = transaction
max_client_conn = 400
default_pool_size = 20
logfile = %s/pgbouncer.log
pidfile = %s/pgbouncer.pid
ignore_startup_parameters = extra_float_digits
`, c.port, b.port, dir, dir, dir)
	if err := os.WriteFile(filepath.Join(dir, "users.txt"), []byte(`"postgres" ""`+"\n"), 0o644); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "pgbouncer.ini"), []byte(ini), 0o644); err != nil {
		return nil, err
	}
	b.cmd = asPG(bin, filepath.Join(dir, "pgbouncer.ini"))
	if err := b.cmd.Start(); err != nil {
		return nil, err
	}
	d.bouncers = append(d.bouncers, b)
	return b, waitPort(b.port, 20*time.Second)
}

func (b *bouncer) stop() {
	if b.cmd != nil && b.cmd.Process != nil {
		_ = b.cmd.Process.Signal(syscall.SIGTERM)
		_ = b.cmd.Wait()
	}
}

func pgbouncerVersion() string {
	bin, err := exec.LookPath("pgbouncer")
	if err != nil {
		bin = "/usr/sbin/pgbouncer"
	}
	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		return "not installed"
	}
	return strings.SplitN(strings.TrimSpace(string(out)), "\n", 2)[0]
}
