package lab

// initScript is the guest's /init. It mounts the pseudo file systems, loads
// the virtio modules that the harness put in /lib/modules/lab (in file name
// order), names the virtio ports in /dev/virtio-ports as udev would, and
// starts three loops:
//
//   - an agent loop per transport (TAG virtio on the virtio-serial port
//     org.qemu.guest_agent.0, TAG isa on the 16550 at ttyS1): it starts
//     qemu-ga, writes its PID to /run/TAG.pid, waits for it to exit, removes
//     the PID file and starts it again after restartDelay, unless
//     /run/TAG.hold exists; then it waits until the file is gone. So the
//     host stops the agent with "touch hold; kill", and restarts it with
//     "rm hold". qemu-ga runs without -v (the default agent) unless the
//     kernel command line says lab.verbose; its log is /run/TAG.log.
//   - a control shell on the virtio port named ctl, opened once read-write
//     (a virtio port takes one opener), restarted when it ends: read()
//     returns 0 while no host is connected, which ends the shell.
//
// qemu-ga writes no PID file unless it daemonizes, hence $! here.
const initScript = `#!/bin/sh
# /init of the qgasim lab guest, written by package sim/lab.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /run /tmp
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
up() { cut -d' ' -f1 /proc/uptime; }
echo "LAB: init uptime=$(up)"
for f in /lib/modules/lab/*.ko; do
  [ -e "$f" ] || continue
  insmod "$f" || echo "LAB: insmod $f failed"
done
mkdir -p /dev/virtio-ports
i=0
while [ $i -lt 100 ]; do
  for d in /sys/class/virtio-ports/vport*; do
    [ -e "$d/name" ] || continue
    n=$(cat "$d/name"); [ -n "$n" ] || continue
    ln -sf "/dev/${d##*/}" "/dev/virtio-ports/$n"
  done
  [ -e /dev/virtio-ports/org.qemu.guest_agent.0 ] && [ -e /dev/virtio-ports/ctl ] && break
  i=$((i+1)); sleep 0.1
done
echo "LAB: ports $(ls /dev/virtio-ports | tr '\n' ' ') uptime=$(up)"
grep -q lab.verbose /proc/cmdline && touch /run/virtio.verbose /run/isa.verbose

agent_loop() {
  tag=$1; meth=$2; path=$3
  mkdir -p /run/qga-$tag
  while true; do
    while [ -e /run/$tag.hold ]; do sleep 0.05; done
    v=; [ -e /run/$tag.verbose ] && v=-v
    qemu-ga -m $meth -p $path -t /run/qga-$tag $v </dev/null >>/run/$tag.log 2>&1 &
    pid=$!
    echo $pid > /run/$tag.pid
    echo "LAB: [$tag] qemu-ga $pid started uptime=$(up)"
    wait $pid
    rc=$?
    rm -f /run/$tag.pid
    echo "LAB: [$tag] qemu-ga $pid exited status $rc uptime=$(up)"
    sleep RESTART_DELAY
  done
}

ctl_loop() {
  while true; do
    sh 0<>/dev/virtio-ports/ctl 1>&0 2>&0
    sleep 0.2
  done
}

agent_loop isa isa-serial /dev/ttyS1 &
agent_loop virtio virtio-serial /dev/virtio-ports/org.qemu.guest_agent.0 &
ctl_loop &
echo "LAB: init done uptime=$(up)"
while true; do sleep 3600; done
`

// restartDelay is how long the agent loop waits after qemu-ga exits before
// it starts it again (when not held), in seconds, as the guest's sleep
// takes it.
const restartDelay = "0.3"
