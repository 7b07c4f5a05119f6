/* The physical floor's rtnetlink requests: each is sent, then its ACK read, before the next. */
#define _GNU_SOURCE
#include "physical-floor.h"
#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define RTPROT_CTNET 241

int script_line;

void die(const char *what, int err) {
  fprintf(stderr, "physical-floor: line %d: %s: %s\n", script_line, what, strerror(err));
  exit(1);
}
#define TAIL(n) ((struct rtattr *)((char *)(n) + NLMSG_ALIGN((n)->nlmsg_len)))

/* a socket belongs to the namespace it was made in: a new one after each move */
void rtnl_reopen(struct rtnl *r) {
  if (r->fd >= 0) close(r->fd);
  r->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
  if (r->fd < 0 || bind(r->fd, (struct sockaddr *)&sa, sizeof sa) < 0) die("netlink socket", errno);
}

void rtnl_talk(struct rtnl *r, struct nlmsghdr *n, const char *what) {
  n->nlmsg_seq = ++r->seq;
  n->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
  if (send(r->fd, n, n->nlmsg_len, 0) < 0) die(what, errno);
  char ack[1024];
  ssize_t got = recv(r->fd, ack, sizeof ack, 0);
  if (got < 0) die(what, errno);
  struct nlmsghdr *h = (struct nlmsghdr *)ack;
  if (h->nlmsg_type != NLMSG_ERROR) die(what, EPROTO);
  int err = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
  if (err) die(what, -err);
}

static struct nlmsghdr *msg(struct rtnl *r, int type, int flags, size_t body) {
  memset(r->buf, 0, sizeof r->buf); /* nested headers (a veth peer's ifinfomsg) are taken as zeroed */
  struct nlmsghdr *n = (struct nlmsghdr *)r->buf;
  n->nlmsg_len = NLMSG_LENGTH(body);
  n->nlmsg_type = type;
  n->nlmsg_flags = flags;
  return n;
}

void add_attr(struct nlmsghdr *n, int type, const void *data, int len) {
  struct rtattr *a = TAIL(n);
  a->rta_type = type;
  a->rta_len = RTA_LENGTH(len);
  if (len) memcpy(RTA_DATA(a), data, len);
  n->nlmsg_len = NLMSG_ALIGN(n->nlmsg_len) + RTA_ALIGN(a->rta_len);
}

void add_str(struct nlmsghdr *n, int type, const char *s) { add_attr(n, type, s, strlen(s) + 1); }

void add_mac(struct nlmsghdr *n, int type, const char *text) {
  unsigned char mac[6];
  unsigned v[6];
  if (sscanf(text, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) != 6) die(text, EINVAL);
  for (int i = 0; i < 6; i++) mac[i] = (unsigned char)v[i];
  add_attr(n, type, mac, 6);
}

struct rtattr *nest(struct nlmsghdr *n, int type) {
  struct rtattr *a = TAIL(n);
  add_attr(n, type, NULL, 0);
  return a;
}

void end_nest(struct nlmsghdr *n, struct rtattr *a) { a->rta_len = (char *)TAIL(n) - (char *)a; }

struct nlmsghdr *link_msg(struct rtnl *r, int type, int flags, int index, unsigned up) {
  struct nlmsghdr *n = msg(r, type, flags, sizeof(struct ifinfomsg));
  struct ifinfomsg *i = NLMSG_DATA(n);
  i->ifi_index = index;
  i->ifi_flags = up;
  i->ifi_change = up;
  return n;
}

void bridge_add(struct rtnl *r, const char *name) {
  struct nlmsghdr *n = link_msg(r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0, IFF_UP);
  add_str(n, IFLA_IFNAME, name);
  struct rtattr *info = nest(n, IFLA_LINKINFO);
  add_str(n, IFLA_INFO_KIND, "bridge");
  end_nest(n, info);
  rtnl_talk(r, n, name);
}

void link_set(struct rtnl *r, int index, int master, unsigned up) {
  struct nlmsghdr *n = link_msg(r, RTM_NEWLINK, 0, index, up);
  if (master) add_attr(n, IFLA_MASTER, &master, sizeof master);
  rtnl_talk(r, n, "link set");
}

void link_del(struct rtnl *r, int index) { rtnl_talk(r, link_msg(r, RTM_DELLINK, 0, index, 0), "link del"); }

static in_addr_t ipv4(const char *text) {
  struct in_addr a;
  if (inet_pton(AF_INET, text, &a) != 1) die(text, EINVAL);
  return a.s_addr;
}

/* "A.B.C.D/LEN" into the address and its length */
static in_addr_t prefix(const char *cidr, int *len) {
  char addr[INET_ADDRSTRLEN];
  const char *slash = strchr(cidr, '/');
  size_t l = slash ? (size_t)(slash - cidr) : strlen(cidr);
  if (l >= sizeof addr) die(cidr, EINVAL);
  memcpy(addr, cidr, l);
  addr[l] = 0;
  *len = slash ? atoi(slash + 1) : 32;
  return ipv4(addr);
}

void addr_add(struct rtnl *r, int index, const char *cidr, int brd) {
  struct nlmsghdr *n = msg(r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, sizeof(struct ifaddrmsg));
  struct ifaddrmsg *ifa = NLMSG_DATA(n);
  int len;
  in_addr_t a = prefix(cidr, &len);
  ifa->ifa_family = AF_INET;
  ifa->ifa_prefixlen = len;
  ifa->ifa_index = index;
  add_attr(n, IFA_LOCAL, &a, 4);
  add_attr(n, IFA_ADDRESS, &a, 4);
  if (brd) {
    in_addr_t b = len >= 32 ? a : a | htonl(0xffffffffu >> len);
    add_attr(n, IFA_BROADCAST, &b, 4);
  }
  rtnl_talk(r, n, cidr);
}

void route_add(struct rtnl *r, const char *dst, int index, const char *gw, int onlink) {
  struct nlmsghdr *n = msg(r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, sizeof(struct rtmsg));
  struct rtmsg *rt = NLMSG_DATA(n);
  int len = 0;
  rt->rtm_family = AF_INET;
  rt->rtm_table = RT_TABLE_MAIN;
  rt->rtm_protocol = RTPROT_CTNET;
  rt->rtm_scope = gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
  rt->rtm_type = RTN_UNICAST;
  rt->rtm_flags = onlink ? RTNH_F_ONLINK : 0;
  if (strcmp(dst, "default")) {
    in_addr_t d = prefix(dst, &len);
    add_attr(n, RTA_DST, &d, 4);
  }
  rt->rtm_dst_len = len;
  if (gw) {
    in_addr_t g = ipv4(gw);
    add_attr(n, RTA_GATEWAY, &g, 4);
  }
  add_attr(n, RTA_OIF, &index, sizeof index);
  rtnl_talk(r, n, dst);
}

void proxy(struct rtnl *r, int type, const char *addr, int index) {
  int flags = type == RTM_NEWNEIGH ? NLM_F_CREATE | NLM_F_EXCL : 0;
  struct nlmsghdr *n = msg(r, type, flags, sizeof(struct ndmsg));
  struct ndmsg *nd = NLMSG_DATA(n);
  in_addr_t a = ipv4(addr);
  unsigned char proto = RTPROT_CTNET;
  nd->ndm_family = AF_INET;
  nd->ndm_ifindex = index;
  nd->ndm_flags = NTF_PROXY;
  nd->ndm_state = NUD_PERMANENT;
  add_attr(n, NDA_DST, &a, 4);
  if (type == RTM_NEWNEIGH) add_attr(n, NDA_PROTOCOL, &proto, 1);
  rtnl_talk(r, n, addr);
}

/* a whole table of the current namespace read, as an observation must: request, then every part */
void dump(struct rtnl *r, const char *what) {
  static const struct { const char *name; int type; size_t body; } tables[] = {
    {"link", RTM_GETLINK, sizeof(struct ifinfomsg)},
    {"addr", RTM_GETADDR, sizeof(struct ifaddrmsg)},
    {"route", RTM_GETROUTE, sizeof(struct rtmsg)},
    {"neigh", RTM_GETNEIGH, sizeof(struct ndmsg)},
  };
  static char parts[32768];
  size_t t = 0;
  while (t < 4 && strcmp(tables[t].name, what)) t++;
  if (t == 4) die(what, EINVAL);
  struct nlmsghdr *n = msg(r, tables[t].type, NLM_F_REQUEST | NLM_F_DUMP, tables[t].body);
  n->nlmsg_seq = ++r->seq;
  if (send(r->fd, n, n->nlmsg_len, 0) < 0) die(what, errno);
  for (;;) {
    ssize_t got = recv(r->fd, parts, sizeof parts, 0);
    if (got < 0) die(what, errno);
    for (struct nlmsghdr *h = (struct nlmsghdr *)parts; NLMSG_OK(h, (size_t)got); h = NLMSG_NEXT(h, got)) {
      if (h->nlmsg_type == NLMSG_DONE) return;
      if (h->nlmsg_type == NLMSG_ERROR) die(what, -((struct nlmsgerr *)NLMSG_DATA(h))->error);
    }
  }
}
