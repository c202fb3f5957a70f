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
	"net/url"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/crosscheck-news/crosscheck/internal/pgserver"
)

var (
	once     sync.Once
	baseDSN  string
	startErr error
	stop     func()
	counter  atomic.Int64
)

// Main runs the package's tests and stops the cluster afterwards.
// m is the package's *testing.M, or something that runs it.
func Main(m interface{ Run() int }) {
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
	return pgserver.Start()
}
