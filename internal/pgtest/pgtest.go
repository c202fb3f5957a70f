// Package pgtest starts a throw-away PostgreSQL cluster from the Debian
// binaries for tests, and hands each test a fresh database in it.
//
// A package that uses it runs its tests through Main:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
//
// When CROSSCHECK_TEST_POSTGRES holds a DSN of a server the tests may
// create databases on, that server is used instead. Without either, tests
// are skipped, except under CI (CI set), where they fail: CI must prove
// the PostgreSQL path.
package pgtest

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
)

var (
	once     sync.Once
	baseDSN  string
	startErr error
	stop     func()
	counter  atomic.Int64
)

// Main runs the package's tests and stops the cluster afterwards.
func Main(m *testing.M) {
	code := m.Run()
	if stop != nil {
		stop()
	}
	os.Exit(code)
}

// DSN returns the DSN of a new, empty database for this test.
func DSN(t testing.TB) string {
	t.Helper()
	once.Do(func() { baseDSN, stop, startErr = start() })
	if startErr != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("postgres: %v", startErr)
		}
		t.Skipf("postgres not available: %v", startErr)
	}
	name := fmt.Sprintf("t%d_%d", os.Getpid(), counter.Add(1))
	admin, err := sql.Open("pgx", baseDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	u, _ := url.Parse(baseDSN)
	u.Path = "/" + name
	return u.String()
}

func start() (string, func(), error) {
	if dsn := os.Getenv("CROSSCHECK_TEST_POSTGRES"); dsn != "" {
		return dsn, nil, nil
	}
	bin, err := findBin()
	if err != nil {
		return "", nil, err
	}
	dir, err := os.MkdirTemp("", "crosscheck-pg-")
	if err != nil {
		return "", nil, err
	}
	cred, err := credential(dir)
	if err != nil {
		os.RemoveAll(dir)
		return "", nil, err
	}
	run := func(name string, args ...string) error {
		cmd := exec.Command(filepath.Join(bin, name), args...)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("%s: %v: %s", name, err, out)
		}
		return nil
	}
	data := filepath.Join(dir, "data")
	if err := run("initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"); err != nil {
		os.RemoveAll(dir)
		return "", nil, err
	}
	port, err := freePort()
	if err != nil {
		os.RemoveAll(dir)
		return "", nil, err
	}
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", port, dir)
	if err := run("pg_ctl", "-D", data, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "start"); err != nil {
		os.RemoveAll(dir)
		return "", nil, err
	}
	stopFn := func() {
		_ = run("pg_ctl", "-D", data, "-m", "immediate", "stop")
		os.RemoveAll(dir)
	}
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port), stopFn, nil
}

func findBin() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(matches) == 0 {
		return "", fmt.Errorf("initdb not found (apt-get install postgresql)")
	}
	return filepath.Dir(matches[len(matches)-1]), nil
}

// credential returns who runs the server: PostgreSQL refuses to run as
// root, so root runs it as the "postgres" user, which must own dir.
func credential(dir string) (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("running as root needs a postgres user: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(dir, uid, gid); err != nil {
		return nil, err
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
