package agent

import (
	"strings"

	"github.com/qgasim/qgasim/sim/qjson"
)

// guest-get-users lists the logged-in users once each, with their earliest
// login, in the order of their first session.
func cmdGetUsers(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	if !in.Done() {
		return qjson.Value{}, in.err
	}
	var names []string
	first := map[string]float64{}
	for _, u := range a.cfg.Users {
		t, seen := first[u.Name]
		if !seen {
			names = append(names, u.Name)
		}
		if !seen || u.LoginTime < t {
			first[u.Name] = u.LoginTime
		}
	}
	list := make([]qjson.Value, 0, len(names))
	for _, n := range names {
		list = append(list, object(qjson.NewDict().Put("user", str(n)).Put("login-time", qjson.FloatValue(first[n]))))
	}
	return qjson.ArrayValue(list...), nil
}

// guest-get-timezone: the zone's abbreviation and its offset from UTC.
func cmdGetTimezone(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	if !in.Done() {
		return qjson.Value{}, in.err
	}
	d := qjson.NewDict()
	if z := a.cfg.Timezone.Zone; z != "" {
		d.Put("zone", str(z))
	}
	d.Put("offset", i64(int64(a.cfg.Timezone.Offset)))
	return object(d), nil
}

// account returns the passwd entry of a user, or nil.
func (a *Agent) account(name string) *Account {
	for i := range a.cfg.Accounts {
		if a.cfg.Accounts[i].Name == name {
			return &a.cfg.Accounts[i]
		}
	}
	return nil
}

// guest-set-user-password checks the password and the user name as qemu-ga
// does before it runs chpasswd, which fails for a user the guest does not
// have.
func cmdSetUserPassword(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	user, _ := in.Str("username", false)
	b64, _ := in.Str("password", false)
	crypted, _ := in.Bool("crypted", false)
	if !in.Done() {
		return qjson.Value{}, in.err
	}
	pw, ok := decodeBase64(b64)
	if !ok {
		return qjson.Value{}, genericError(errBase64Invalid)
	}
	if strings.IndexByte(string(pw), '\n') >= 0 {
		return qjson.Value{}, genericError("forbidden characters in raw password")
	}
	if strings.ContainsAny(user, "\n:") {
		return qjson.Value{}, genericError("forbidden characters in username")
	}
	if a.account(user) == nil {
		return qjson.Value{}, genericError("child process has failed to set user password")
	}
	a.guest.passwords[user] = Password{Value: string(pw), Crypted: crypted}
	return noReturn, nil
}
