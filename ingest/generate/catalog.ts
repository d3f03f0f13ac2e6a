// Reference data the demo draws from: names, queues, the complaint taxonomy of docs/domain.md,
// departments and summary templates. Data, not logic: edit here to change the demo's flavour.

/** Common surnames with rough frequency weights. */
export const SURNAMES: ReadonlyArray<[string, number]> = [
  ['王', 72], ['李', 70], ['张', 66], ['刘', 53], ['陈', 45], ['杨', 31], ['黄', 24], ['赵', 23],
  ['吴', 21], ['周', 20], ['徐', 15], ['孙', 14], ['马', 13], ['朱', 12], ['胡', 12], ['郭', 11],
  ['何', 10], ['高', 10], ['林', 10], ['罗', 9], ['郑', 9], ['梁', 9], ['谢', 7], ['宋', 6],
  ['唐', 6], ['许', 6], ['韩', 6], ['冯', 6], ['邓', 6], ['曹', 5], ['彭', 5], ['曾', 5],
  ['萧', 4], ['田', 4], ['董', 4], ['袁', 4], ['潘', 4], ['蒋', 4], ['蔡', 4], ['余', 4],
  ['杜', 3], ['叶', 3], ['程', 3], ['魏', 3], ['苏', 3], ['吕', 3], ['丁', 3], ['任', 3]
];

export const GIVEN_NAME_CHARS = [
  '伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明',
  '超', '秀', '霞', '平', '刚', '桂', '英', '华', '玉', '兰', '文', '辉', '鑫', '婷', '雪', '琳',
  '晨', '宇', '浩', '欣', '怡', '佳', '梓', '子', '萱', '涵', '思', '雨', '嘉', '博', '睿', '颖',
  '倩', '悦', '瑶', '晓', '凯', '鹏', '波', '斌', '慧', '蕾', '薇', '倩', '楠', '航', '帆', '琪'
];

export const TEAM_NAMES = ['一组', '二组', '三组', '四组', '五组', '六组', '七组', '八组', '九组', '十组'];

export interface QueueDef {
  queue_id: string;
  name: string;
  kind: 'consultation' | 'complaint' | 'repair' | 'sales';
  language: 'zh' | 'en';
  /** Share of inbound calls. */
  share: number;
  /** Median talk seconds and chance the agent marks the call resolved. */
  talkMedian: number;
  resolveBase: number;
}

export const QUEUES: readonly QueueDef[] = [
  { queue_id: 'consult', name: '业务咨询', kind: 'consultation', language: 'zh', share: 0.6, talkMedian: 170, resolveBase: 0.86 },
  { queue_id: 'complaint', name: '投诉建议', kind: 'complaint', language: 'zh', share: 0.1, talkMedian: 330, resolveBase: 0.45 },
  { queue_id: 'repair', name: '报修', kind: 'repair', language: 'zh', share: 0.16, talkMedian: 240, resolveBase: 0.55 },
  { queue_id: 'sales', name: '销售', kind: 'sales', language: 'zh', share: 0.12, talkMedian: 210, resolveBase: 0.8 },
  { queue_id: 'english', name: '英语服务 English line', kind: 'consultation', language: 'en', share: 0.02, talkMedian: 220, resolveBase: 0.78 }
];

/** Relative arrivals per hour of day: peaks mid-morning and early afternoon, quiet at night. */
export const HOURLY_ARRIVALS = [
  0.35, 0.22, 0.14, 0.1, 0.1, 0.14, 0.35, 1.1, 3.4, 6.4, 8.0, 7.3,
  5.0, 6.1, 7.6, 7.1, 6.0, 4.7, 3.4, 2.9, 2.4, 1.8, 1.2, 0.7
];

/** Relative arrivals per weekday, Monday first: Mondays busiest, weekends lighter. */
export const WEEKDAY_ARRIVALS = [1.22, 1.08, 1.0, 0.98, 1.02, 0.74, 0.66];

/** Mobile prefixes in use in mainland China (1[3-9]x). */
export const MOBILE_PREFIXES = [
  '130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '153', '155',
  '156', '157', '158', '159', '166', '173', '177', '180', '181', '182', '183', '185', '186', '187',
  '188', '189', '198', '199'
];

export interface CauseDef {
  group: '商品' | '服务' | '安全';
  cause: string;
  subCauses: string[];
  department: string;
  /** Weight at the start of the period and at its end (one cause grows over time). */
  weightStart: number;
  weightEnd: number;
  /** What the customer said, for the ticket summary; {item} is filled in. */
  summaries: string[];
}

/** The complaint root-cause taxonomy (顾客抱怨问题分析) from docs/domain.md. */
export const CAUSES: readonly CauseDef[] = [
  { group: '商品', cause: '价格', subCauses: ['高于竞争对手', '促销价未生效'], department: '采购部', weightStart: 6, weightEnd: 6,
    summaries: ['顾客反映{item}价格比附近其他商家贵，要求说明', '顾客称{item}促销价结账时未生效，要求退还差价'] },
  { group: '商品', cause: '品质', subCauses: ['变质', '有异物', '食用后不适'], department: '质量管理部', weightStart: 24, weightEnd: 22,
    summaries: ['顾客反映购买的{item}已变质，要求退换', '顾客称{item}中发现异物，情绪激动', '顾客称食用{item}后身体不适，要求赔偿'] },
  { group: '商品', cause: '残缺', subCauses: ['包装破损', '配件缺失'], department: '物流配送部', weightStart: 8, weightEnd: 8,
    summaries: ['顾客收到的{item}包装破损', '顾客反映{item}缺少配件，无法正常使用'] },
  { group: '商品', cause: '过期', subCauses: ['已过保质期', '临期未标注'], department: '质量管理部', weightStart: 5, weightEnd: 5,
    summaries: ['顾客发现购买的{item}已过保质期', '顾客反映{item}临近过期但未做标注'] },
  { group: '商品', cause: '标示不符', subCauses: ['价签不符', '产地标示错误'], department: '门店运营部', weightStart: 5, weightEnd: 5,
    summaries: ['顾客反映{item}价签与结账价格不一致', '顾客称{item}标示的规格与实物不符'] },
  { group: '商品', cause: '缺货', subCauses: ['长期缺货', '下单后无货'], department: '采购部', weightStart: 7, weightEnd: 7,
    summaries: ['顾客反映{item}长期缺货', '顾客下单{item}后被告知无货，要求尽快补货'] },
  { group: '服务', cause: '工作人员态度不佳', subCauses: ['不理睬', '不耐烦', '态度粗鲁'], department: '门店运营部', weightStart: 20, weightEnd: 18,
    summaries: ['顾客反映门店工作人员态度冷淡、不理睬', '顾客称咨询{item}时店员不耐烦', '顾客投诉工作人员言语粗鲁'] },
  { group: '服务', cause: '收银作业不当', subCauses: ['多收款', '找零错误'], department: '财务部', weightStart: 8, weightEnd: 8,
    summaries: ['顾客反映购买{item}时被多收款', '顾客称收银员找零错误'] },
  { group: '服务', cause: '服务项目不足', subCauses: ['配送延迟', '不提供上门安装'], department: '物流配送部', weightStart: 3, weightEnd: 16,
    summaries: ['顾客反映{item}配送延迟多日仍未送达', '顾客要求上门安装{item}被告知不提供该服务'] },
  { group: '服务', cause: '现有服务作业不当', subCauses: ['寄存物品遗失', '促销不公', '意见未回复'], department: '客户服务部', weightStart: 9, weightEnd: 9,
    summaries: ['顾客反映寄存的物品遗失', '顾客认为促销活动规则不公平', '顾客称此前反映的{item}问题一直无人回复'] },
  { group: '安全', cause: '意外事件', subCauses: ['地面湿滑摔倒', '货架掉落'], department: '安全保卫部', weightStart: 2, weightEnd: 2,
    summaries: ['顾客在门店内因地面湿滑摔倒受伤', '顾客称被货架上掉落的商品砸伤'] },
  { group: '安全', cause: '环境的影响', subCauses: ['噪音扰民', '垃圾堆放', '交通拥堵'], department: '门店运营部', weightStart: 3, weightEnd: 3,
    summaries: ['周边居民反映门店夜间卸货噪音扰民', '顾客反映门店门口垃圾堆放影响通行', '顾客反映门店停车场出入口拥堵'] }
];

export const ITEMS = [
  '牛奶', '面包', '大米', '食用油', '冷冻水饺', '鲜肉', '水果', '洗衣液', '电饭煲', '空气净化器',
  '热水器', '空调', '冰箱', '洗衣机', '婴儿奶粉', '月饼礼盒', '茶叶', '酸奶', '电动牙刷', '床上用品'
];

export interface TicketTypeDef {
  type: 'inquiry' | 'suggestion' | 'repair' | 'emergency_repair' | 'site_survey' | 'return' | 'order';
  department: string;
  summaries: string[];
}

export const OTHER_TICKET_TYPES: Record<TicketTypeDef['type'], TicketTypeDef> = {
  inquiry: { type: 'inquiry', department: '客户服务部', summaries: ['顾客咨询{item}的保修政策，需核实后回复', '顾客询问{item}的价格及到货时间，需查询后回电', '顾客咨询会员积分兑换{item}的规则'] },
  suggestion: { type: 'suggestion', department: '客户服务部', summaries: ['顾客建议增加{item}的品种', '顾客建议延长门店营业时间', '顾客建议优化会员小程序的下单流程'] },
  repair: { type: 'repair', department: '工程维修部', summaries: ['顾客报修{item}无法启动', '顾客报修{item}漏水', '顾客反映{item}运行噪音大，要求上门检修'] },
  emergency_repair: { type: 'emergency_repair', department: '工程维修部', summaries: ['顾客家中{item}漏电，需紧急抢修', '顾客报告燃气热水器异味，需立即上门处理'] },
  site_survey: { type: 'site_survey', department: '工程维修部', summaries: ['顾客需上门勘察{item}安装位置', '顾客申请勘察{item}安装条件'] },
  return: { type: 'return', department: '销售部', summaries: ['顾客申请退货：{item}不合适', '顾客要求换货：{item}颜色与订单不符'] },
  order: { type: 'order', department: '销售部', summaries: ['顾客电话订购{item}，约定配送时间', '顾客修改{item}订单的收货地址', '顾客查询{item}订单的物流状态'] }
};

export const DEVICES = ['考勤机-1F-东门', '考勤机-1F-西门', '考勤机-3F-坐席区'];

export const LEAVE_KINDS: ReadonlyArray<[string, number]> = [['年假', 35], ['病假', 35], ['事假', 25], ['其他', 5]];
