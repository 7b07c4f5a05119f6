/**
 * The rtnetlink numbers the observation needs, from the kernel's uapi headers
 * (linux/netlink.h, linux/rtnetlink.h, linux/if_link.h, linux/if_addr.h, linux/neighbour.h,
 * linux/net_namespace.h, linux/if_tun.h, linux/veth.h). Only what is read or sent is here, on purpose.
 */
export const AF_UNSPEC = 0;
export const AF_INET = 2;
/** Bridge forwarding entries (RTM_*NEIGH of the fdb), a VXLAN device's included. */
export const AF_BRIDGE = 7;
export const AF_INET6 = 10;
export const AF_NETLINK = 16;
export const SOCK_RAW = 3;
export const SOCK_CLOEXEC = 0o2000000;
export const NETLINK_ROUTE = 0;
export const CLONE_NEWNET = 0x40000000;
export const O_RDONLY = 0;
export const O_CLOEXEC = 0o2000000;
export const SOL_SOCKET = 1;
export const SO_RCVTIMEO = 20;
export const SOL_NETLINK = 270;
export const NETLINK_CAP_ACK = 10;
export const NETLINK_EXT_ACK = 11;
/** The kernel checks dump requests strictly and honours their filters (a route dump of one table). */
export const NETLINK_GET_STRICT_CHK = 12;

// nlmsghdr
export const NLMSG_HDRLEN = 16;
export const NLMSG_ERROR = 2;
export const NLMSG_DONE = 3;
export const NLM_F_REQUEST = 0x1;
export const NLM_F_MULTI = 0x2;
export const NLM_F_ACK = 0x4;
export const NLM_F_DUMP_INTR = 0x10;
export const NLM_F_DUMP = 0x300;
export const NLM_F_REPLACE = 0x100;
export const NLM_F_EXCL = 0x200;
export const NLM_F_CREATE = 0x400;
export const NLM_F_APPEND = 0x800;
// in an NLMSG_ERROR: the request was not echoed back / extended-ACK attributes follow
export const NLM_F_CAPPED = 0x100;
export const NLM_F_ACK_TLVS = 0x200;
export const NLMSGERR_ATTR_MSG = 1;

// message types
export const RTM_NEWLINK = 16;
export const RTM_DELLINK = 17;
export const RTM_GETLINK = 18;
export const RTM_NEWADDR = 20;
export const RTM_DELADDR = 21;
export const RTM_GETADDR = 22;
export const RTM_NEWROUTE = 24;
export const RTM_DELROUTE = 25;
export const RTM_GETROUTE = 26;
export const RTM_NEWNEIGH = 28;
export const RTM_DELNEIGH = 29;
export const RTM_GETNEIGH = 30;
export const RTM_NEWNSID = 88;
export const RTM_GETNSID = 90;

// fixed headers that follow nlmsghdr
export const IFINFOMSG_LEN = 16;
export const IFADDRMSG_LEN = 8;
export const RTMSG_LEN = 12;
export const NDMSG_LEN = 12;
export const RTGENMSG_LEN = 4;

// links
export const IFLA_ADDRESS = 1;
export const IFLA_IFNAME = 3;
export const IFLA_MTU = 4;
export const IFLA_LINK = 5;
export const IFLA_MASTER = 10;
export const IFLA_LINKINFO = 18;
export const IFLA_NET_NS_PID = 19;
export const IFLA_IFALIAS = 20;
export const IFLA_GROUP = 27;
export const IFLA_NET_NS_FD = 28;
export const IFLA_EXT_MASK = 29;
export const IFLA_LINK_NETNSID = 37;
export const IFLA_INFO_KIND = 1;
export const IFLA_INFO_DATA = 2;
export const IFLA_TUN_TYPE = 3; // after IFLA_TUN_OWNER, IFLA_TUN_GROUP
export const IFF_UP = 0x1;
export const IFF_TAP = 0x2;
export const VETH_INFO_PEER = 1;
// vxlan IFLA_INFO_DATA (linux/if_link.h)
export const IFLA_VXLAN_ID = 1;
export const IFLA_VXLAN_LINK = 3;
export const IFLA_VXLAN_LOCAL = 4;
export const IFLA_VXLAN_LEARNING = 7;
export const IFLA_VXLAN_PORT = 15;
export const IFLA_VXLAN_LOCAL6 = 17;
export const RTEXT_FILTER_VF = 1;

// link-layer address types whose address ip prints as an IP address
export const ARPHRD_TUNNEL = 768;
export const ARPHRD_TUNNEL6 = 769;
export const ARPHRD_SIT = 776;
export const ARPHRD_IPGRE = 778;
export const ARPHRD_IP6GRE = 823;

// addresses
export const IFA_ADDRESS = 1;
export const IFA_LOCAL = 2;
export const IFA_BROADCAST = 4;
export const IFA_FLAGS = 8;
export const IFA_F_NODAD = 0x02;
export const IFA_F_DADFAILED = 0x08;
export const IFA_F_TENTATIVE = 0x40;
export const IFA_F_PERMANENT = 0x80;

// routes
export const RTA_DST = 1;
export const RTA_OIF = 4;
export const RTA_GATEWAY = 5;
export const RTA_TABLE = 15;
export const RTA_VIA = 18;
export const RT_TABLE_MAIN = 254;
/** rtm_table of a route whose table id does not fit in 8 bits: RTA_TABLE holds it. */
export const RT_TABLE_COMPAT = 252;
export const RTN_UNICAST = 1;
export const RTNH_F_ONLINK = 0x4;
export const RTM_F_CLONED = 0x200;
export const RTPROT_BOOT = 3;
export const RT_SCOPE_UNIVERSE = 0;
export const RT_SCOPE_LINK = 253;
export const RT_SCOPE_HOST = 254;
export const RT_SCOPE_NOWHERE = 255;

// neighbours
export const NDA_DST = 1;
export const NDA_LLADDR = 2;
export const NDA_PROTOCOL = 12;
export const NTF_SELF = 0x02;
export const NTF_PROXY = 0x08;
export const NUD_NOARP = 0x40;
export const NUD_PERMANENT = 0x80;

// namespace ids
export const NETNSA_NSID = 1;
export const NETNSA_FD = 3;

// event subscriptions (linux/rtnetlink.h rtnetlink_groups, linux/netlink.h)
export const SOCK_NONBLOCK = 0o4000;
export const NETLINK_LISTEN_ALL_NSID = 8;
export const SO_RCVBUF = 8;
export const RTNLGRP_LINK = 1;
export const RTNLGRP_NEIGH = 3;
export const RTNLGRP_IPV4_IFADDR = 5;
export const RTNLGRP_IPV4_ROUTE = 7;
export const RTNLGRP_IPV6_IFADDR = 9;
export const RTNLGRP_IPV6_ROUTE = 11;
export const NETNSA_NSID_NOT_ASSIGNED = -1;
