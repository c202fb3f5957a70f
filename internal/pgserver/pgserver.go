// Package pgserver starts a throw-away PostgreSQL cluster from Debian's
// binaries (apt-get install postgresql), for tests and benchmarks.
// PostgreSQL refuses to run as root, so under root the server runs as the
// "postgres" user.
package pgserver

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
)

// Start initialises a cluster in a new temporary directory, starts it on
// a free loopback port (fsync off: for tests and benchmarks only) and
// returns a DSN for its postgres database and a function that stops it
// and removes the directory.
func Start() (string, func(), error) {
	s, err := StartServer()
	if err != nil {
		return "", nil, err
	}
	return s.DSN, s.Stop, nil
}

// Server is a running throw-away cluster.
type Server struct {
	// DSN reaches its postgres database.
	DSN  string
	dir  string
	bin  string
	opts string
	cred *syscall.Credential
}

// StartServer is Start, returning the server so a test can restart it.
func StartServer() (*Server, error) {
	bin, err := findBin()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "crosscheck-pg-")
	if err != nil {
		return nil, err
	}
	cred, err := credential(dir)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s := &Server{dir: dir, bin: bin, cred: cred}
	if err := s.run("initdb", "-D", s.data(), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	// fsync off: a throw-away server. random_page_cost as on SSDs, which
	// docs/deployment.md recommends (the default keeps sequential-scan
	// plans for the linker's index lookups while tables are small).
	s.opts = fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200 -c random_page_cost=1.1", port, dir)
	if err := s.run("pg_ctl", "-D", s.data(), "-o", s.opts, "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "start"); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s.DSN = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
	return s, nil
}

func (s *Server) data() string { return filepath.Join(s.dir, "data") }

func (s *Server) run(name string, args ...string) error {
	cmd := exec.Command(filepath.Join(s.bin, name), args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %v: %s", name, err, out)
	}
	return nil
}

// Restart stops the server the way a crash or an operator would
// (mode "immediate": no shutdown checkpoint, every connection cut;
// "fast": connections cut, clean shutdown) and starts it again on the
// same port.
func (s *Server) Restart(mode string) error {
	if err := s.run("pg_ctl", "-D", s.data(), "-m", mode, "-w", "stop"); err != nil {
		return err
	}
	return s.run("pg_ctl", "-D", s.data(), "-o", s.opts, "-l", filepath.Join(s.dir, "log"), "-w", "-t", "60", "start")
}

// Stop stops the server and removes its directory.
func (s *Server) Stop() {
	_ = s.run("pg_ctl", "-D", s.data(), "-m", "immediate", "stop")
	os.RemoveAll(s.dir)
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
