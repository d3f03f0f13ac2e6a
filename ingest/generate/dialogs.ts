// Scripted dialogs for demo transcripts: data, not code. Each shows behaviour the QA scorecard
// looks for (docs/domain.md): greeting with 工号, courtesy words, 三声服务, holds announced or not,
// forbidden phrases, interruptions, closing. Placeholders: {agentId} (the answering agent's 工号),
// {item} (a product), {phone} (a personal number, written out redacted as a tag).

export interface DialogTurn {
  /** a = agent, c = customer */
  s: 'a' | 'c';
  t: string;
  /** Seconds on hold before this turn starts. */
  hold?: number;
  /** Starts before the previous utterance ends (the agent cuts in). */
  interrupt?: boolean;
}

export interface DialogTemplate {
  id: string;
  language: 'zh' | 'en';
  queue: 'consult' | 'complaint' | 'repair' | 'sales' | 'english';
  quality: 'good' | 'bad';
  turns: DialogTurn[];
}

export const DIALOGS: readonly DialogTemplate[] = [
  {
    id: 'consult-good-warranty', language: 'zh', queue: 'consult', quality: 'good',
    turns: [
      { s: 'a', t: '您好，欢迎致电客服中心，我是工号{agentId}，很高兴为您服务，请问有什么可以帮您？' },
      { s: 'c', t: '你好，我上个月买的{item}，想问一下保修期是多久。' },
      { s: 'a', t: '嗯，好的，您是想了解{item}的保修政策，对吗？' },
      { s: 'c', t: '对的。' },
      { s: 'a', t: '请您提供一下购买时预留的手机号码，我帮您查询一下订单。' },
      { s: 'c', t: '我的号码是{phone}。' },
      { s: 'a', t: '好的，请稍等，我为您查询一下。' },
      { s: 'a', t: '让您久等了，查到您的订单了，{item}整机保修一年，主要部件保修三年。', hold: 35 },
      { s: 'c', t: '那保修需要带发票吗？' },
      { s: 'a', t: '需要的，请您保留好购物小票或者电子发票，维修时出示就可以了。' },
      { s: 'c', t: '明白了，谢谢。' },
      { s: 'a', t: '不客气，请问还有其他可以帮您的吗？' },
      { s: 'c', t: '没有了。' },
      { s: 'a', t: '感谢您的来电，祝您生活愉快，再见！' }
    ]
  },
  {
    id: 'consult-bad-nogreeting', language: 'zh', queue: 'consult', quality: 'bad',
    turns: [
      { s: 'a', t: '喂，说吧。' },
      { s: 'c', t: '你好，我想问一下你们的{item}什么时候有货。' },
      { s: 'a', t: '不知道。' },
      { s: 'c', t: '那你能帮我查一下吗？我都问了好几次了。' },
      { s: 'a', t: '查不了，系统里没显示。' },
      { s: 'c', t: '那我什么时候再打过来问？' },
      { s: 'a', t: '你过几天再打吧。' },
      { s: 'c', t: '你这个态度也太差了吧。' },
      { s: 'a', t: '还有别的事吗？没有我挂了。' }
    ]
  },
  {
    id: 'consult-good-points', language: 'zh', queue: 'consult', quality: 'good',
    turns: [
      { s: 'a', t: '您好，客服中心，工号{agentId}为您服务，请问有什么可以帮您？' },
      { s: 'c', t: '我想用会员积分换{item}，不知道怎么操作。' },
      { s: 'a', t: '好的，明白。请问您的会员卡绑定的手机号是多少？' },
      { s: 'c', t: '{phone}，就是我现在打的这个。' },
      { s: 'a', t: '嗯，好的。请稍等，我看一下您的积分。' },
      { s: 'a', t: '让您久等了，您目前有三千二百积分，兑换{item}需要两千积分，是够的。', hold: 20 },
      { s: 'c', t: '那我在哪里兑换？' },
      { s: 'a', t: '您可以在小程序的积分商城里直接兑换，也可以到门店服务台办理，请您带上会员卡。' },
      { s: 'c', t: '好的，谢谢你。' },
      { s: 'a', t: '不客气，请问还有什么需要帮助的吗？' },
      { s: 'c', t: '没有了。' },
      { s: 'a', t: '感谢您的来电，再见。' }
    ]
  },
  {
    id: 'consult-bad-silenthold', language: 'zh', queue: 'consult', quality: 'bad',
    turns: [
      { s: 'a', t: '您好，工号{agentId}。' },
      { s: 'c', t: '你好，我昨天在你们门店买的{item}，发票开错了，抬头不对。' },
      { s: 'a', t: '哦。' },
      { s: 'c', t: '能不能帮我重新开一张？' },
      { s: 'a', t: '那你要什么抬头？', hold: 70 },
      { s: 'c', t: '你刚才怎么一直不说话？我还以为断线了。' },
      { s: 'a', t: '我在查。你说抬头吧。' },
      { s: 'c', t: '公司全称我一会儿发给你们。' },
      { s: 'a', t: '不可以，电话里说，我们不收。' },
      { s: 'c', t: '那算了，我自己去门店吧。' }
    ]
  },
  {
    id: 'complaint-good-quality', language: 'zh', queue: 'complaint', quality: 'good',
    turns: [
      { s: 'a', t: '您好，投诉建议专线，我是工号{agentId}，请问有什么可以帮您？' },
      { s: 'c', t: '我昨天在你们那买的{item}，回家打开发现已经坏了，还有一股怪味。' },
      { s: 'a', t: '嗯，非常抱歉给您带来不好的体验。' },
      { s: 'c', t: '我家孩子还吃了一口，现在有点不舒服，你们必须给我一个说法。' },
      { s: 'a', t: '明白，您的心情我非常理解。请问孩子现在情况怎么样，需要就医吗？' },
      { s: 'c', t: '现在还好，就是有点肚子疼。' },
      { s: 'a', t: '好的。为了尽快处理，请您留一个联系电话，我们的质量管理部会在二十四小时内联系您。' },
      { s: 'c', t: '电话是{phone}。' },
      { s: 'a', t: '好的，我跟您核对一下：您昨天购买的{item}变质，孩子食用后不适，要求处理，对吗？' },
      { s: 'c', t: '对。' },
      { s: 'a', t: '我已经为您登记了投诉，工单已经转交质量管理部，请您保留好商品和购物小票。' },
      { s: 'c', t: '好，那我等你们电话。' },
      { s: 'a', t: '对不起给您添麻烦了。请问还有其他需要帮助的吗？' },
      { s: 'c', t: '没有了。' },
      { s: 'a', t: '感谢您的反馈，祝孩子早日康复，再见。' }
    ]
  },
  {
    id: 'complaint-bad-argue', language: 'zh', queue: 'complaint', quality: 'bad',
    turns: [
      { s: 'a', t: '喂，你好。' },
      { s: 'c', t: '我要投诉你们门店的收银员，她多收了我二十块钱，我找她她还不承认，态度特别差。' },
      { s: 'a', t: '这个不是我们这边的问题。', interrupt: true },
      { s: 'c', t: '什么叫不是你们的问题？你们不都是一家公司吗？' },
      { s: 'a', t: '那你有小票吗？没有小票不行。' },
      { s: 'c', t: '小票我扔了，可是我手机上有付款记录。' },
      { s: 'a', t: '不行，必须要小票。', interrupt: true },
      { s: 'c', t: '你这是什么态度？我要找你们领导。' },
      { s: 'a', t: '领导也是一样的说法，你爱找谁找谁。' },
      { s: 'c', t: '行，你等着。' }
    ]
  },
  {
    id: 'complaint-good-delivery', language: 'zh', queue: 'complaint', quality: 'good',
    turns: [
      { s: 'a', t: '您好，投诉建议专线，工号{agentId}为您服务。' },
      { s: 'c', t: '我上周订的{item}到现在还没送到，说好三天送到的。' },
      { s: 'a', t: '嗯，非常抱歉让您久等了。请问您的订单预留的电话是多少？' },
      { s: 'c', t: '{phone}。' },
      { s: 'a', t: '好的，请稍等，我帮您查询一下物流情况。' },
      { s: 'a', t: '让您久等了。查到您的订单在配送站滞留了，确实是我们配送延误了，实在对不起。', hold: 45 },
      { s: 'c', t: '那到底什么时候能送到？' },
      { s: 'a', t: '我已经为您登记加急，物流配送部会在今天之内联系您确认送货时间，明天回访您处理结果。' },
      { s: 'c', t: '好吧，希望这次别再拖了。' },
      { s: 'a', t: '明白，我们一定跟进到底。请问还有其他问题吗？' },
      { s: 'c', t: '没有了。' },
      { s: 'a', t: '谢谢您的耐心，再见。' }
    ]
  },
  {
    id: 'repair-good-leak', language: 'zh', queue: 'repair', quality: 'good',
    turns: [
      { s: 'a', t: '您好，报修专线，我是工号{agentId}，请问有什么可以帮您？' },
      { s: 'c', t: '我家的{item}一直在漏水，地上都湿了。' },
      { s: 'a', t: '好的，请您先关闭进水阀门，注意用电安全。请问是从什么位置漏水的？' },
      { s: 'c', t: '好像是下面的接口那里。' },
      { s: 'a', t: '嗯，明白。请问您的地址和联系电话？' },
      { s: 'c', t: '电话是{phone}，地址就是购买时登记的那个。' },
      { s: 'a', t: '好的，已经为您登记报修，维修师傅会在两小时内跟您联系，预约上门时间。' },
      { s: 'c', t: '要收费吗？' },
      { s: 'a', t: '您的{item}还在保修期内，上门和更换配件都是免费的。' },
      { s: 'c', t: '那太好了，谢谢。' },
      { s: 'a', t: '不客气，请问还有其他可以帮您的吗？' },
      { s: 'c', t: '没了。' },
      { s: 'a', t: '感谢您的来电，再见。' }
    ]
  },
  {
    id: 'repair-bad-interrupt', language: 'zh', queue: 'repair', quality: 'bad',
    turns: [
      { s: 'a', t: '报修。' },
      { s: 'c', t: '你好，我的{item}开机以后一直响，然后就自动关机了，我试了好几次——' },
      { s: 'a', t: '型号多少？', interrupt: true },
      { s: 'c', t: '型号我看一下，在背面……' },
      { s: 'a', t: '快点，后面还有人排队。', interrupt: true },
      { s: 'c', t: '你别催，我在找。' },
      { s: 'a', t: '找到了再打过来吧，这个问题我也不知道。' },
      { s: 'c', t: '那你们到底能不能修？' },
      { s: 'a', t: '不可以电话里判断，你自己送到维修点。' }
    ]
  },
  {
    id: 'sales-good-order', language: 'zh', queue: 'sales', quality: 'good',
    turns: [
      { s: 'a', t: '您好，欢迎致电订购专线，我是工号{agentId}，请问您想订购什么商品？' },
      { s: 'c', t: '我想订两箱{item}，能送货上门吗？' },
      { s: 'a', t: '可以的，满一百元免费配送。请问您的收货电话是？' },
      { s: 'c', t: '{phone}。' },
      { s: 'a', t: '好的，我跟您确认一下：{item}两箱，送到您登记的地址，明天上午送达，可以吗？' },
      { s: 'c', t: '可以。' },
      { s: 'a', t: '好的，订单已经为您下好了，送货前配送员会先给您打电话。请问还需要别的吗？' },
      { s: 'c', t: '不用了，谢谢。' },
      { s: 'a', t: '感谢您的订购，祝您生活愉快，再见！' }
    ]
  },
  {
    id: 'sales-bad-noclose', language: 'zh', queue: 'sales', quality: 'bad',
    turns: [
      { s: 'a', t: '您好，工号{agentId}。' },
      { s: 'c', t: '你们的{item}现在有活动吗？' },
      { s: 'a', t: '有吧，具体我不知道。' },
      { s: 'c', t: '那能便宜点吗？' },
      { s: 'a', t: '不行，价格都是定好的。' },
      { s: 'c', t: '那我再考虑一下。' },
      { s: 'a', t: '嗯。' }
    ]
  },
  {
    id: 'complaint-good-attitude', language: 'zh', queue: 'complaint', quality: 'good',
    turns: [
      { s: 'a', t: '您好，投诉建议专线，我是工号{agentId}，请讲。' },
      { s: 'c', t: '我今天在你们门店问{item}在哪，店员看都不看我一眼，太不尊重人了。' },
      { s: 'a', t: '嗯，非常抱歉，让您受委屈了。' },
      { s: 'c', t: '我也不是非要怎么样，就是觉得你们应该管管。' },
      { s: 'a', t: '明白，您的意见非常重要。请问是哪家门店，大概几点钟？' },
      { s: 'c', t: '就是人民路那家，下午三点左右。' },
      { s: 'a', t: '好的，我已经记录下来，会转给门店运营部核实，并在二十四小时内给您回复处理结果。请问回复打哪个电话？' },
      { s: 'c', t: '打{phone}就行。' },
      { s: 'a', t: '好的，再次向您致歉，谢谢您的反馈。请问还有其他需要吗？' },
      { s: 'c', t: '没有了。' },
      { s: 'a', t: '感谢来电，再见。' }
    ]
  },
  {
    id: 'english-good-refund', language: 'en', queue: 'english', quality: 'good',
    turns: [
      { s: 'a', t: 'Good morning, thank you for calling customer service, this is agent {agentId}. How may I help you?' },
      { s: 'c', t: 'Hi, I bought a {item} last week and it stopped working. I would like a refund.' },
      { s: 'a', t: 'I am sorry to hear that. Could you give me the phone number on your order, please?' },
      { s: 'c', t: 'Sure, it is {phone}.' },
      { s: 'a', t: 'Thank you. One moment please while I look up your order.' },
      { s: 'a', t: 'Thank you for waiting. I found your order, and it is within the seven-day return period.', hold: 30 },
      { s: 'c', t: 'Great. What do I need to do?' },
      { s: 'a', t: 'Please bring the item and your receipt to any of our stores, and the refund goes back to your card within three days.' },
      { s: 'c', t: 'Okay, that is clear. Thanks.' },
      { s: 'a', t: 'You are welcome. Is there anything else I can help you with?' },
      { s: 'c', t: 'No, that is all.' },
      { s: 'a', t: 'Thank you for calling, have a nice day. Goodbye.' }
    ]
  },
  {
    id: 'english-bad-flat', language: 'en', queue: 'english', quality: 'bad',
    turns: [
      { s: 'a', t: 'Yes?' },
      { s: 'c', t: 'Hello, I want to ask about delivery to my hotel, I am only here for a week.' },
      { s: 'a', t: 'We do not deliver to hotels.' },
      { s: 'c', t: 'Is there any other way? Maybe a pick-up point?' },
      { s: 'a', t: 'I do not know.', hold: 50 },
      { s: 'c', t: 'Hello? Are you still there?' },
      { s: 'a', t: 'Yes. No pick-up points. Anything else?' },
      { s: 'c', t: 'No. Forget it.' }
    ]
  }
];

/** Tag that replaces a personal number, per language. */
export const PHONE_TAG: Record<'zh' | 'en', string> = { zh: '[手机号]', en: '[PHONE]' };
