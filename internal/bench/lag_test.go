package bench

import (
	"bytes"
	"io"
	"math/rand/v2"
	"net"
	"strings"
	"testing"
	"time"
)

// echo serves a TCP echo on loopback.
func echo(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() { io.Copy(c, c); c.Close() }()
		}
	}()
	return l.Addr().String()
}

func TestLagDelaysBothWaysAndKeepsBytes(t *testing.T) {
	const delay = 40 * time.Millisecond
	p, err := startLag(echo(t), delay)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	c, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	start := time.Now()
	if _, err := c.Write([]byte("ping")); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, 4)
	if _, err := io.ReadFull(c, got); err != nil || string(got) != "ping" {
		t.Fatalf("echo = %q, %v", got, err)
	}
	rtt := time.Since(start)
	if rtt < 2*delay {
		t.Errorf("round trip %v; want at least %v (the delay each way)", rtt, 2*delay)
	}
	if e := p.Effective(); e < delay || 2*e > rtt {
		t.Errorf("effective delay %v; want between %v and half the round trip %v", e, delay, rtt)
	}

	// A megabyte in many chunks comes back whole and in order.
	want := make([]byte, 1<<20)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range want {
		want[i] = byte(r.Uint32())
	}
	go c.Write(want)
	back := make([]byte, len(want))
	if _, err := io.ReadFull(c, back); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(back, want) {
		t.Error("bytes through the lag differ from the bytes sent")
	}

	// Close ends forwarded connections.
	p.Close()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := c.Read(make([]byte, 1)); err == nil {
		t.Error("read after Close succeeded")
	}
}

func TestLagDSN(t *testing.T) {
	for _, dsn := range []string{
		"postgres://u@localhost/db?host=/var/run/postgresql",
		"postgres:///db",
		"::not a url",
	} {
		if _, _, err := lagDSN(dsn, time.Millisecond); err == nil {
			t.Errorf("lagDSN(%q) succeeded; want an error", dsn)
		}
	}
	d, p, err := lagDSN("postgres://u:pw@db.internal:6543/crosscheck?sslmode=disable", time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if p.target != "db.internal:6543" {
		t.Errorf("target = %q; want db.internal:6543", p.target)
	}
	if !strings.HasPrefix(d, "postgres://u:pw@"+p.Addr()+"/crosscheck?") || !strings.Contains(d, "sslmode=disable") {
		t.Errorf("DSN through the lag = %q", d)
	}
}
