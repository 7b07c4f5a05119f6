/*
 * The benchmark's physical floor: the kernel objects of a bench layout made by one minimal
 * process over rtnetlink, one request and one ACK at a time, as `ip -batch` does, without any
 * process start per namespace. Built by the bench with the system compiler (physical-floor.ts).
 *
 * It reads a script on stdin, one operation a line (the bench writes it; nothing here is user
 * input):
 *   mkns NAME | delns NAME          a named namespace, made as `ip netns add` makes it
 *   enter NAME                      this process moves into /run/netns/NAME, with a new socket
 *   bridge NAME                     an up bridge
 *   veth NAME MTU PEER PEERNS MASTER|- PEERMAC|-   an up veth, its peer made in PEERNS
 *   master DEV BR | up DEV | dellink DEV
 *   addr DEV A.B.C.D/LEN brd|-      an IPv4 address, with the broadcast computed when asked
 *   route DST/LEN|default DEV GW|- onlink|-        proto 241
 *   proxy A.B.C.D DEV | delproxy A.B.C.D DEV       proxy ARP entries, protocol 241
 *   sysctl KEY VALUE                KEY under /proc/sys, in the current namespace
 *   dump link|addr|route|neigh      a whole table of the current namespace read (an observation)
 * The first refusal ends it with exit 1 and the line on stderr.
 */
#define _GNU_SOURCE
#include "physical-floor.h"
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_link.h>
#include <linux/veth.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static void netns_path(char *buf, size_t len, const char *name) { snprintf(buf, len, "/run/netns/%s", name); }

/* as iproute2 does before its first namespace: /run/netns a shared mount, so later mounts propagate */
static void prepare_run_netns(void) {
  mkdir("/run/netns", 0755);
  if (mount("", "/run/netns", "none", MS_SHARED | MS_REC, NULL) == 0) return;
  if (errno != EINVAL) die("mount --make-shared /run/netns", errno);
  if (mount("/run/netns", "/run/netns", "none", MS_BIND | MS_REC, NULL) < 0) die("bind /run/netns", errno);
  if (mount("", "/run/netns", "none", MS_SHARED | MS_REC, NULL) < 0) die("share /run/netns", errno);
}

static void mkns(const char *name) {
  static int prepared;
  char path[PATH_MAX];
  if (!prepared++) prepare_run_netns();
  int here = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  if (here < 0) die("/proc/self/ns/net", errno);
  netns_path(path, sizeof path, name);
  int fd = open(path, O_RDONLY | O_CREAT | O_EXCL, 0);
  if (fd < 0) die(path, errno);
  close(fd);
  if (unshare(CLONE_NEWNET) < 0) die("unshare", errno);
  if (mount("/proc/self/ns/net", path, "none", MS_BIND, NULL) < 0) die("bind mount", errno);
  if (setns(here, CLONE_NEWNET) < 0) die("setns back", errno);
  close(here);
}

static void delns(const char *name) {
  char path[PATH_MAX];
  netns_path(path, sizeof path, name);
  if (umount2(path, MNT_DETACH) < 0) die(path, errno);
  if (unlink(path) < 0) die(path, errno);
}

static int open_ns(const char *name) {
  char path[PATH_MAX];
  netns_path(path, sizeof path, name);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) die(path, errno);
  return fd;
}

static void enter(struct rtnl *r, const char *name) {
  int fd = open_ns(name);
  if (setns(fd, CLONE_NEWNET) < 0) die("setns", errno);
  close(fd);
  rtnl_reopen(r);
}

static int ifindex(const char *name) {
  int i = (int)if_nametoindex(name);
  if (!i) die(name, errno);
  return i;
}

static void sysctl_write(const char *key, const char *value) {
  char path[PATH_MAX];
  snprintf(path, sizeof path, "/proc/sys/%s", key);
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) die(path, errno);
  if (write(fd, value, strlen(value)) < 0) die(path, errno);
  close(fd);
}

static void veth(struct rtnl *r, char **a) {
  struct nlmsghdr *n = link_msg(r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0, IFF_UP);
  unsigned mtu = (unsigned)atoi(a[1]);
  add_str(n, IFLA_IFNAME, a[0]);
  add_attr(n, IFLA_MTU, &mtu, sizeof mtu);
  if (strcmp(a[4], "-")) {
    int br = ifindex(a[4]);
    add_attr(n, IFLA_MASTER, &br, sizeof br);
  }
  struct rtattr *info = nest(n, IFLA_LINKINFO);
  add_str(n, IFLA_INFO_KIND, "veth");
  struct rtattr *data = nest(n, IFLA_INFO_DATA);
  struct rtattr *peer = nest(n, VETH_INFO_PEER);
  n->nlmsg_len += sizeof(struct ifinfomsg); /* the peer's own ifinfomsg, zeroed: its flags stay down */
  int peer_ns = open_ns(a[3]);
  add_str(n, IFLA_IFNAME, a[2]);
  add_attr(n, IFLA_NET_NS_FD, &peer_ns, sizeof peer_ns);
  add_attr(n, IFLA_MTU, &mtu, sizeof mtu);
  if (strcmp(a[5], "-")) add_mac(n, IFLA_ADDRESS, a[5]);
  end_nest(n, peer);
  end_nest(n, data);
  end_nest(n, info);
  rtnl_talk(r, n, a[0]);
  close(peer_ns);
}

static void run_line(struct rtnl *r, char **a, int argc) {
  const char *op = a[0];
  if (!strcmp(op, "mkns") && argc == 2) mkns(a[1]);
  else if (!strcmp(op, "delns") && argc == 2) delns(a[1]);
  else if (!strcmp(op, "enter") && argc == 2) enter(r, a[1]);
  else if (!strcmp(op, "bridge") && argc == 2) bridge_add(r, a[1]);
  else if (!strcmp(op, "veth") && argc == 7) veth(r, a + 1);
  else if (!strcmp(op, "master") && argc == 3) link_set(r, ifindex(a[1]), ifindex(a[2]), 0);
  else if (!strcmp(op, "up") && argc == 2) link_set(r, ifindex(a[1]), 0, IFF_UP);
  else if (!strcmp(op, "dellink") && argc == 2) link_del(r, ifindex(a[1]));
  else if (!strcmp(op, "addr") && argc == 4) addr_add(r, ifindex(a[1]), a[2], !strcmp(a[3], "brd"));
  else if (!strcmp(op, "route") && argc == 5)
    route_add(r, a[1], ifindex(a[2]), strcmp(a[3], "-") ? a[3] : NULL, !strcmp(a[4], "onlink"));
  else if (!strcmp(op, "proxy") && argc == 3) proxy(r, RTM_NEWNEIGH, a[1], ifindex(a[2]));
  else if (!strcmp(op, "delproxy") && argc == 3) proxy(r, RTM_DELNEIGH, a[1], ifindex(a[2]));
  else if (!strcmp(op, "sysctl") && argc == 3) sysctl_write(a[1], a[2]);
  else if (!strcmp(op, "dump") && argc == 2) dump(r, a[1]);
  else die(op, EINVAL);
}

int main(void) {
  char line[512];
  struct rtnl r = {.fd = -1};
  rtnl_reopen(&r);
  while (fgets(line, sizeof line, stdin)) {
    char *a[8];
    int argc = 0;
    script_line++;
    for (char *t = strtok(line, " \t\n"); t && argc < 8; t = strtok(NULL, " \t\n")) a[argc++] = t;
    if (argc) run_line(&r, a, argc);
  }
  return 0;
}
